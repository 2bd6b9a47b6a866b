(* A plugin unit with types, an exception, a submodule and state. *)
type point = { x : int; y : int }

exception Bad of string

let origin = { x = 0; y = 0 }

let add a b = { x = a.x + b.x; y = a.y + b.y }

let check p = if p.x < 0 then raise (Bad "negative") else p

module Sub = struct
  let z = 3
  let w = z * 2
end

let counter = ref 0

let () = counter := 10
