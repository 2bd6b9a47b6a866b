(* Functor types: anonymous parameters print as arrows, S -> S parses;
   compared with ocaml 4.13.1. *)
module Z (_ : sig end) (_ : sig end) = struct end;;
module F (X : sig end) (_ : sig type t end) = struct end;;
module type T = functor (_ : sig end) -> sig end;;
module type T2 = sig end -> sig end;;
module G (X : sig end) () = struct end;;
module type U = sig type t end -> sig type t end -> sig end;;
module App (F : sig end -> sig val v : int end) = F (struct end);;
module V = App (functor (_ : sig end) -> struct let v = 7 end);;
V.v;;
