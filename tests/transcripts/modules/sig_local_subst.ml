(* Local substitutions in signatures (type t := u), compared with ocaml 4.13.1. *)
module type S = sig type t := int val x : t end;;
module type S2 = sig type 'a u := 'a list * int val f : string u end;;
module type S3 = sig type t type u := t list val g : u end;;
type t := int;;
module type S4 = sig type t := int and v := t * t val y : v end;;
module M : S = struct let x = 5 end;;
M.x + 1;;
