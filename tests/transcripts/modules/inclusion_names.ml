(* Types, modules and module types of one name standing for different
   declarations in an inclusion error print as t/1, t/2, with OCaml's
   hint. *)
type t = A;;
module M : sig val f : t -> unit end = struct type t = B let f B = () end;;
module N : sig type u = A of t end = struct type t = B type u = A of t end;;
type t = A;;
type t = B;;
type t = C;;
type t = D;;
module M : sig val f : t -> t -> t -> t end = struct let f A B C = D end;;
module type s;;
module M : sig module A : functor (X : s) -> sig end end =
  struct
    module type s
    module A(X:s) = struct end
  end;;
type u = int;;
module M : sig type u val x : u end = struct type u = string let x = 1 end;;
module T = struct type t end;;
module M : sig type t = A of T.t end =
    struct
      module T = struct type t end
      type t = A of T.t
    end;;
module X = struct type t = int end;;
module F (A : sig type t end) (Y : sig type t = Y of A.t end) = struct end;;
module X = struct type t = int end;;
module Y = struct type t = Y of X.t end;;
module N = F(X)(Y);;
