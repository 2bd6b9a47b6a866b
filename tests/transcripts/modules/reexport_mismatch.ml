(* A re-exported variant or record (type t = M.t = A | B) must have the
   original's definition: the same check as signature matching, named
   "the original" and "this" definition. *)
module M = struct type t = A | B type r = {x : int; mutable y : int} type 'a p = P of 'a end;;
type u = M.t;;
type t = u = A | B;;
type t = M.t = A | B | C;;
type t = M.t = B | A;;
type t = M.t = A;;
type r = M.r = {x : int; y : int};;
type r = M.r = {x : int; mutable y : int; z : int};;
type r = M.r = {mutable x : int; mutable y : int};;
type t = M.t = {x : int};;
type 'a p = 'a M.p = P of int;;
type 'a p = 'a M.p = P of 'a;;
type t = int = A;;
type t = M.t = private A | B;;
module N = struct type t = private A end;;
type t = N.t = A;;
type t = M.t = A | B;;
