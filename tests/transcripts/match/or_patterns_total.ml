type t = A | B | C of int;;
let f = function (A|B), _ -> 1 | _, (A|B|C _) -> 2 | (C 1), _ -> 3 | _ -> 4;;
f (A, C 1), f (C 1, A), f (C 2, C 3);;
let g = function (A|B|C 1) -> 0 | C _ -> 1;;
g (C 1), g (C 2), g B;;
module SyntheticTest = struct
  (* from Luc Maranget *)
  type t = A | B

  let f = function
    | A,A,A,A,A, A,A,A,A,A, A,A,A,A,A, A,A,A -> 1
    | (A|B),(A|B),(A|B),(A|B),(A|B),
      (A|B),(A|B),(A|B),(A|B),(A|B),
      (A|B),(A|B),(A|B),(A|B),(A|B),
      (A|B),(A|B),(A|B) ->  2
end
;;
