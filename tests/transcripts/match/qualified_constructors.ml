(* Qualified constructors where another variant is expected: the one of
   that type, or OCaml's Name_type_mismatch error; compared with ocaml. *)
module X = struct type t = A | B end;;
module Y = struct type t = A end;;
let f (x : X.t) = match x with Y.A -> 1 | _ -> 2;;
X.A = Y.A;;
let g (x : X.t) = match x with C -> 1;;
type r = {a : int};;
type s = {b : int};;
let h (x : r) = x.b;;
module Z = struct type t = A | B type u = A end;;
let k (x : Z.t) = match x with Z.A -> 1 | Z.B -> 2;;
k Z.A;;
