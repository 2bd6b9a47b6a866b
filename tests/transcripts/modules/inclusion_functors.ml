(* Signature matching of functors: parameters compared contravariantly
   and listed as OCaml's diffing of parameter lists presents them, then
   results; a functor keeps the ascribed type when its code serves it. *)
module M : sig end = functor (X : sig end) -> struct end;;
module F : functor (X : sig end) -> sig end = struct end;;
module F : functor (X : sig val x : int end) -> sig end = functor (X : sig val x : bool end) -> struct end;;
module F : functor (X : sig val x : int end) -> sig val y : int end = functor (X : sig val x : int end) -> struct let y = true end;;
module F : functor (X : sig val x : int end) (Y : sig end) -> sig end = functor (X : sig val x : bool end) (Y : sig end) -> struct end;;
module F : functor (X : sig end) (Y : sig type t end) -> sig end = functor (X : sig end) -> struct end;;
module F : functor () -> sig end = functor (X : sig end) -> struct end;;
module F : functor (X : sig end) -> sig end = functor () -> struct end;;
module M : sig module N : functor (X : sig end) -> sig val x : int end end = struct module N (X : sig end) = struct let x = true end end;;
module type S = sig type t val x : t val f : t -> int end;;
module F : functor (X : S) -> sig type t val y : X.t end = functor (Y : S) -> struct type t = Y.t let y = Y.x end;;
module F : functor (X : S) -> sig type t val y : int val z : t end = functor (X : S) -> struct type t = X.t let y = X.f X.x let z = X.x end;;
module A = F (struct type t = int let x = 41 let f x = x + 1 end);;
A.y;;
A.z;;
module G : functor (X : S) -> sig val y : int end = functor (X : S) -> struct let y = X.f X.x + 3 let z = 3 end;;
module B = G (struct type t = int let x = 41 let f x = x + 1 end);;
B.y;;
module F : functor (X : S) -> sig end = functor (X : sig type t end) -> struct end;;
module F : functor (X : sig type t end) -> sig end = functor (X : S) -> struct end;;
