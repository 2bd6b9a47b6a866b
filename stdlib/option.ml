(* option.ml — module Option: option values, as OCaml 4.13's
   stdlib/option.ml, with the labelled arguments of value, fold and
   to_result taken positionally; no to_seq. *)

(* The signature is OCaml's interface (labels dropped), so that types
   print as OCaml prints them and helpers stay hidden. *)
include (struct


type 'a t = 'a option = None | Some of 'a

let none = None
let some v = Some v
let value o default = match o with Some v -> v | None -> default
let get = function Some v -> v | None -> invalid_arg "option is None"
let bind o f = match o with None -> None | Some v -> f v
let join = function Some o -> o | None -> None
let map f o = match o with None -> None | Some v -> Some (f v)
let fold none some = function Some v -> some v | None -> none
let iter f = function Some v -> f v | None -> ()
let is_none = function None -> true | Some _ -> false
let is_some = function None -> false | Some _ -> true

let equal eq o0 o1 = match o0, o1 with
| Some v0, Some v1 -> eq v0 v1
| None, None -> true
| _ -> false

let compare cmp o0 o1 = match o0, o1 with
| Some v0, Some v1 -> cmp v0 v1
| None, None -> 0
| None, Some _ -> -1
| Some _, None -> 1

let to_result none = function None -> Error none | Some v -> Ok v
let to_list = function None -> [] | Some v -> [v]

end : sig
type 'a t = 'a option = None | Some of 'a
val none : 'a option
val some : 'a -> 'a option
val value : 'a option -> 'a -> 'a
val get : 'a option -> 'a
val bind : 'a option -> ('a -> 'b option) -> 'b option
val join : 'a option option -> 'a option
val map : ('a -> 'b) -> 'a option -> 'b option
val fold : 'a -> ('b -> 'a) -> 'b option -> 'a
val iter : ('a -> unit) -> 'a option -> unit
val is_none : 'a option -> bool
val is_some : 'a option -> bool
val equal : ('a -> 'a -> bool) -> 'a option -> 'a option -> bool
val compare : ('a -> 'a -> int) -> 'a option -> 'a option -> int
val to_result : 'e -> 'a option -> ('a, 'e) result
val to_list : 'a option -> 'a list
end)
