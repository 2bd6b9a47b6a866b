let guard_or = function (Some x, None) | (None, Some x) when x > 0 -> x | _ -> 0;;
guard_or (Some (-1), None);;
guard_or (Some 3, None);;
guard_or (None, Some 4);;
let classify = function
  | (0, 0) -> "origin"
  | (0, _) | (_, 0) -> "axis"
  | (x, y) when x = y -> "diagonal"
  | (x, y) when x = - y -> "antidiagonal"
  | _ -> "plane";;
List.map classify [(0, 0); (0, 3); (2, 0); (2, 2); (2, -2); (1, 5)];;
let f x = match x with (1 | 2 | 1) -> 1 | _ -> 2;;
let g = function 'a' .. 'z' | 'A' .. 'Z' | '0' .. '9' -> 1;;
g 'q';;
let h x = match x with Some y when y > 0 -> 1 | Some 0 -> 2 | None -> 3;;
h (Some 5);;
h (Some (-5));;
