let x = function 0. .. 1. -> ();;
let f = function Some(exception Not_found) -> 0;;
let f x = match x with exception Not_found -> ();;
let g x = match x with exception Not_found -> 1 | y -> y;;
type ('_a) underscored = A of '_a;;
let h (x : '_b) = x;;
