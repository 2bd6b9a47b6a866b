(* Rows through signatures: private rows, inclusion, module paths. *)
module M : sig type t = private [< `A | `B of string ] end = struct type t = [ `A | `B of string ] end;;
module N : sig type t = private [> `A ] val x : t end = struct type t = [ `A | `B ] let x = `B end;;
(N.x :> [> `A ]);;
module P : sig type t = private [ `Bar of 'a | `Foo ] as 'a val bar : t end = struct
  type t = [ `Bar of 'a | `Foo ] as 'a
  let bar = `Bar `Foo
end;;
module Q : sig val f : [< `A | `B ] -> int end = struct let f = function `A -> 1 | `B -> 2 | `C -> 3 end;;
module R : sig val f : [< `A | `B ] -> int end = struct let f = function `A -> 1 end;;
module S = struct type u = [ `P | `Q of int ] let show = function `P -> "p" | `Q n -> string_of_int n end;;
S.show (`Q 4);;
let g = function #S.u -> 0 | `R -> 1;;
type 'a v = [< `A of 'a | `B ] as 'a;;
type +'a w = [ `W of 'a ];;
