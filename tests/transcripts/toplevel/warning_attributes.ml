let f = function Some x -> x;;
[@@@warning "-8"];;
let g = function Some x -> x;;
[@@@ocaml.warning "+8"]
let h = function Some x -> x;;
module M = struct
  [@@@warning "-8"]
  let k = function Some x -> x
end;;
let l = function Some x -> x;;
module type S = sig [@@@warning "-32"] val x : int end;;
[@@@foo "bar"];;
let z = 1;;
