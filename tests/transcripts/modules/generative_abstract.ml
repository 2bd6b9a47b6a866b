(* Generative functors (F ()) and abstract module types (module type A),
   which crashed natml; compared with ocaml 4.13.1. *)
module F () = struct let x = ref 0 type t = A end;;
module X = F ();;
module Y = F ();;
X.x := 3;;
!Y.x;;
module G (M : sig end) = struct end;;
module Z = G ();;
module W = F (struct end);;
module type S = functor () -> sig type t end;;
let f () = let module X = F () in incr X.x; !X.x;;
f ();;
f ();;
module type A;;
module type B = sig module type A type t end;;
module K (X : A) = struct module Y : A = X end;;
module L = K (struct end);;
module type C = A;;
module K2 (X : C) = struct module Y : A = X end;;
module M : A = struct end;;
module N : sig module type T end = struct module type T = sig end end;;
module O : sig module type T end = struct module type T end;;
#show_module_type A;;
#show_module_type C;;
