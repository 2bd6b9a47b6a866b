(* Arguments are evaluated in the function's parameter order (right to
   left), whatever order the labels are written in; a partial application
   evaluates its arguments once, when it is made. *)
let trace = Buffer.create 16;;
let p s = Buffer.add_string trace s; s;;
let f ~a ~b c = a ^ b ^ c;;
f ~b:(p "b") (p "c") ~a:(p "a");;
Buffer.contents trace;;
Buffer.clear trace;;
let g = f ~b:(p "B");;
Buffer.contents trace;;
g ~a:"x" "y";;
g ~a:"z" "w";;
Buffer.contents trace;;
Buffer.clear trace;;
let d ?(x = p "default") () = x;;
d ();;
d ();;
d ~x:"given" ();;
Buffer.contents trace;;
let k ~x ~y = print_string x; fun ~z -> y ^ z;;
let k1 = k ~y:"y" ~z:"z";;
k1 ~x:"x";;
