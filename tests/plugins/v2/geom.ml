(* Geom with another interface: plugins compiled against one do not load
   against the other. *)
type point = { x : int; y : int; z : int }

let origin = { x = 0; y = 0; z = 0 }

let add a b = { x = a.x + b.x; y = a.y + b.y; z = a.z + b.z }

let counter = ref 0

module Sub = struct
  let w = 6
end
