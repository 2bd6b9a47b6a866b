(* A module type declared as another's name prints that name, as does a
   module ascribed a named functor type. *)
module type S = sig val x : int end;;
module type T = S;;
module M = struct module type U = S end;;
module N : sig module type U = S end = M;;
module type F = functor (X : sig end) -> sig end;;
module type G = F;;
module M : F = functor (X : sig end) -> struct end;;
module type F2 = F;;
module type A;;
module type C = A;;
module A : sig module type x = sig val a : int val b : int end end = struct module type x = S end;;
