(* Tags are their hashes at run time, as in OCaml: compare, hash and
 * matching agree with ocaml's. *)
compare `A `B;;
compare `B `A;;
compare (`A 1) (`A 2);;
Hashtbl.hash `Abc;;
Hashtbl.hash (`Abc 3);;
let name = function `Red -> "red" | `Green -> "green" | `Blue -> "blue" | `Rgb (r, g, b) -> Printf.sprintf "%d,%d,%d" r g b;;
List.map name [`Red; `Green; `Blue; `Rgb (1, 2, 3)];;
let big = function `a -> 1 | `b -> 2 | `c -> 3 | `d -> 4 | `e -> 5 | `f -> 6 | `g -> 7 | `h -> 8 | `i x -> x;;
List.map big [`a; `e; `h; `i 42];;
let nested = function `A (`B x) -> x | `A (`C _) -> 0 | `D -> -1;;
nested (`A (`B 5));;
`A (`B (`C 1));;
[| `X -1; `Y |];;
Some (`Tag "s");;
