(* Empty variants (type t = |), type nonrec, and a signature variant
   made equal to its implementation by ascription, printed without the
   implied manifest; compared with ocaml 4.13.1. *)
type t = |;;
type u = A of t;;
let f (x : t) = 1;;
module M : sig type t = | end = struct type t = | end;;
type nonrec u = u list;;
type v = int;;
type nonrec v = v list;;
type nonrec w = int;;
type t = int;;
type nonrec t = A of t | B;;
A 3;;
type nonrec a = int and b = a;;
module M : sig type t = A end = struct type t = A end;;
module M2 : sig type t = | end = struct type t = | end;;
module N : sig type t = M.t = A end = struct type t = M.t = A end;;
module R : sig type r = {x : int} end = struct type r = {x : int} end;;
M.A;;
#show_module M;;
