let f = function
  | 0 -> "zero"
  | 1 -> "one";;
f 2;;
let g x =
  match x with
  | [] -> 0
  | [_] -> 1;;
g [1; 2];;
let h l = let [a] = l in a;;
h [];;
let k l = let x = 1 and [a] = l in a + x;;
k [];;
let p x y (Some z) = x + y + z;;
p 1 2 None;;
let q = fun (Some x) y -> x + y;;
q None 1;;
let [u; v] = [1];;
(try f 5 with Match_failure (file, line, col) -> Printf.sprintf "%s %d %d" file line col);;
