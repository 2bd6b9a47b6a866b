(* with constraints: = and :=, on nested paths, compared with ocaml 4.13.1. *)
module type S = sig type t val f : t -> t type 'a u val g : 'a u -> t end;;
module type S1 = S with type t := int;;
module type S2 = S with type 'a u := 'a list;;
module type S3 = S with type t := int and type 'a u := 'a list * t;;
module type N = sig module M : sig type t val x : t end val y : M.t end;;
module type N1 = N with type M.t = int;;
module type N2 = N with type M.t := string;;
module type S4 = S with type t = int;;
module F (X : S1) = struct let h = X.f 3 end;;
module type S5 = S with type v := int;;
module I : S1 = struct let f x = x + 1 type 'a u = 'a option let g _ = 0 end;;
I.f 41;;
module J : N1 = struct module M = struct type t = int let x = 3 end let y = 4 end;;
J.M.x + J.y;;
module K : N2 = struct module M = struct let x = "k" end let y = "y" end;;
K.M.x ^ K.y;;
