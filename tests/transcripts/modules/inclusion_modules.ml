(* Signature matching of values, exceptions, submodules and module
   types, and the context OCaml gives each explanation. *)
module M : sig val x : int val y : int type t exception E module N : sig end module type S end = struct end;;
module M : sig val x : int end = struct let x = true end;;
module M : sig val x : 'a list ref end = struct let x = ref [] end;;
module M : sig val f : int -> float end = struct let f (x : 'a) = x end;;
module M : sig val f : (int * float * int) -> (int -> int) end = struct let f (x : (int * int)) = x end;;
module M : sig val f : 'a -> 'b end = struct let f x = x end;;
module M : sig val f : int -> int end = struct let f x = x end;;
M.f 3;;
module M : sig external f : int -> int = "%identity" end = struct let f x = x end;;
(* A weak variable becomes what the signature says. *)
module W = struct let r = ref [] end;;
module W' : sig val r : int list ref end = W;;
W.r;;
(* ... but not a type declared after it, unless that abbreviates an
   older one. *)
module W = struct let r = ref [] end;;
type t;;
module W' : sig val r : t list ref end = W;;
type u = int;;
module W' : sig val r : u list ref end = W;;
W.r;;
module M : sig type t val r : t list ref end = struct type t = int let r = ref [] end;;
(* Exceptions. *)
module M : sig exception E of int end = struct exception E of bool end;;
module M : sig exception E of int end = struct exception E end;;
(* Submodules: the explanation says which module it is about. *)
module M : sig module N : sig val x : bool end end = struct module N = struct let x = 1 end end;;
module M : sig module N : sig module O : sig type t = A end end end = struct module N = struct module O = struct type t = B end end end;;
module M : sig module N : sig val x : bool end end = struct module N = struct end end;;
module M : sig module N : sig type t = int end end = struct module N = struct type t end end;;
module M : sig module N : sig type t = int end end = struct module N = struct type t = private int end end;;
(* Module types must be equal both ways. *)
module M : sig module type S = sig val x : int end end = struct module type S = sig val x : bool end end;;
module M : sig module type S = sig val x : int end end = struct module type S = sig val x : int val y : int end end;;
module M : sig module type S = sig val x : int val y : int end end = struct module type S = sig val x : int end end;;
module M : sig module type S end = struct module type S = sig val x : int val y : int end end;;
module M : sig module type S = sig end end = struct module type S end;;
module M : sig module type S = sig val x : int val y : int end end = struct module type S = sig val y : int val x : int end end;;
(* Big module types are elided as OCaml does. *)
module M : sig val a : int val b : int val c : int val d : int val e : int end = struct let a = true let b = 1 let c = 1 let d = 1 let e = 1 end;;
module M : sig val a : int val b : int val c : int val d : int end = struct let a = true let b = 1 let c = 1 let d = 1 end;;
(* A module path is seen through its path. *)
module A = struct type t = X type u let x = X end;;
module B : sig type t = Y end = A;;
module B : sig type u = int end = A;;
(* Functor arguments. *)
module type T = sig val n : int val m : int end;;
module G (X : T) = struct let m = X.n * 2 end;;
module A = G (struct let k = 1 end);;
module A = G (struct let n = true let m = 1 end);;
module type S = sig type t = A | B val n : int end;;
module H (X : S) = struct end;;
module A = H (struct type t = B | A let n = 1 end);;
module C = struct type t = A | C let n = 1 end;;
module A = H (C);;
(* A long location shows its first and last lines only. *)
module M : sig val x : int end = struct
  let a = 1
  let b = 1
  let c = 1
  let d = 1
  let e = 1
  let f = 1
  let g = 1
  let h = 1
  let x = true
end;;
