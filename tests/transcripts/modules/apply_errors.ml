(* A functor application that fails shows all its arguments against the
   functor's parameters (OCaml's diff of the two lists); the arguments are
   typed last first, then the functor, as in OCaml. *)
module X = struct type t = int end;;
module N = List(X);;
module F (A : sig type t end) = struct type u = A.t end;;
module N = F(X)(X);;
module G () = struct end;;
module N = G(X);;
module N = F(struct end);;
module H (A : sig type t end) (B : sig type u end) = struct end;;
module N = H(X)(X);;
module N = H(X)(struct type u = int end)(X);;
module N = H(struct end);;
module type x = sig type x end
module type y = sig type y end
module type z = sig type z end
module FF (X : x) (Y : y) (Z : z) = struct end;;
module X = struct type x = int end
module Y = struct type y = int end
module Z = struct type z = int end;;
module M = FF(X)(Z);;
module M = FF(X)(Y)(Z)(X);;
module M = FF(Y)(X)(Z);;
module M = FF(X)(struct type y = int end)(Z);;
module M = FF(X)(struct type y = int end)(Y);;
module M = FF(X);;
module M = FF(Nowhere)(Nothing);;
