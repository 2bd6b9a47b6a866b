(* Exhaustiveness and unused cases on rows. *)
let f = function `A -> 1;;
let g (x : [`A | `B | `C]) = match x with `A -> 1 | `B -> 2;;
let h (x : [> `A]) = match x with `A -> 1;;
let i = function `A, `X -> 1 | `B, _ -> 2;;
let j (x : [`A | `B]) = match x with `A -> 1 | `B -> 2 | `A -> 3;;
let k = function (`A | `B) -> 0 | _ -> 1;;
let l = function `A x -> x | `B -> 0 | `C (y, z) -> y + z;;
let m (x : [`A of int | `B]) = match x with `A 0 -> 0 | `B -> 1;;
