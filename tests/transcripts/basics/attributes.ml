let f x = x + 1 [@@inline];;
let g = (fun x -> x) [@inline never];;
type t = A [@attr] | B of int [@@deriving show];;
let y = [%foo];;
let z = [%foo.bar 1];;
let r = { contents = 1 [@attr] };;
module M = struct let v = 1 end [@@attr];;
type u = { a : int [@default 0]; b : string } [@@deriving yojson];;
let k (x [@attr] : int) = (x : int [@attr]);;
