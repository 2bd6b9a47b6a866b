(* #trace, #untrace and #untrace_all: OCaml's lines for every call of a
   traced function, recursive calls included. *)
let rec fact n = if n <= 1 then 1 else n * fact (n - 1);;
#trace fact;;
fact 3;;
#untrace fact;;
fact 3;;

(* Curried: one line per arrow of the type, the result of each partial
   application wrapped as f*, f**. *)
let f x y = x + y;;
#trace f;;
f 1 2;;
let g = f 1;;
g 2;;
let add3 a b c = a + b * c;;
#trace add3;;
add3 1 2 3;;
let p1 = add3 1;;
let p2 = p1 2;;
p2 3;;
p1 5 6;;

(* Tail recursion: each call is traced, as through OCaml's closures. *)
let rec loop n acc = if n = 0 then acc else loop (n - 1) (acc + n);;
#trace loop;;
loop 2 0;;

(* A function returning a function beyond its arity. *)
let mk n = fun x -> x + n;;
#trace mk;;
mk 1 2;;
let m1 = mk 1;;
m1 5;;

(* Exceptions: a line per level, then the exception goes on. *)
let h x = if x = 0 then raise Not_found else x;;
#trace h;;
h 0;;
h 1;;
let rec deep n = if n = 0 then raise Exit else 1 + deep (n - 1);;
#trace deep;;
deep 2;;
try deep 1 with Exit -> 42;;
let safe_div x y = if y = 0 then failwith "division" else x / y;;
#trace safe_div;;
safe_div 4 0;;
let half = safe_div 10;;
half 0;;
half 5;;

(* Messages. *)
#trace nope;;
#untrace nope;;
let x = 3;;
#trace x;;
#trace h;;
#untrace x;;
#trace succ;;
#trace List.nope;;

(* Qualified names, values reached through open, the stdlib's closures. *)
module M = struct let inc x = x + 1 let rec down x = if x = 0 then 0 else down (x - 1) end;;
#trace M.inc;;
M.inc 1;;
open M;;
#trace inc;;
#trace down;;
down 1;;
#trace List.length;;
List.length [1; 2];;
#trace List.length;;
#untrace List.length;;

(* Functions of earlier phrases, called from later ones, directly or
   through List.map; values printed at their types. *)
let sq x = x * x;;
let use_sq n = sq n + sq (n + 1);;
#trace sq;;
use_sq 2;;
List.map sq [4; 5];;
let pair a b = (a, b);;
#trace pair;;
pair 1 "a";;
let first l = match l with [] -> None | x :: _ -> Some x;;
#trace first;;
first [1.5; 2.5];;
first ([] : string list);;

(* Mutual recursion, and another closure of a traced closure's code. *)
let rec even n = n = 0 || odd (n - 1) and odd n = n <> 0 && even (n - 1);;
#trace even;;
#trace odd;;
even 2;;
let make n = fun x -> x * n;;
let by2 = make 2;;
let by3 = make 3;;
#trace by2;;
by2 5;;
by3 5;;

(* Output of the traced code comes in order with the trace. *)
let say x = print_string "hello"; x;;
#trace say;;
say 1;;

(* A redefined name is another value. *)
let q y = y;;
#trace q;;
let q y = y + 1;;
#untrace q;;
q 1;;

#untrace_all;;
fact 2;;
m1 5;;
#untrace_all;;
