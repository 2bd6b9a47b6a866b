(* Which rows a match closes (OCaml's pressure_variants). *)
function 1, `B -> 1 | 2, _ -> 2;;
function `B, 1 -> 1 | _, 2 -> 2;;
function 1, `B -> 1 | 1, _ -> 2;;
function (`A | `B), _ -> 0 | _, (`A | `B) -> 1;;
function Some `A, 1 -> 0 | None, _ -> 1;;
let f x (g : [< `Foo ]) = (fun (`Bar i, _) -> i) (`Bar x, g);;
let `A x = `A 1;;
let h = fun (`A | `B) -> 0;;
let k (x : [< `A | `B ]) = match x with `A | `B | `C -> 0;;
let l x = ignore (match x with `A | `B -> 1); ignore (x : [ `A ]);;
