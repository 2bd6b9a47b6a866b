type _ t = IntLit : int t | BoolLit : bool t;;
let trivial t = match t with IntLit -> () | BoolLit -> ();;
let trivial_annotated (type a) (t : a t) = match t with IntLit -> () | BoolLit -> ();;
let merged_annotated (type a) (t : a t) = match t with IntLit | BoolLit -> ();;
let under_tuple (type a) (tt : a t * a t) = match tt with IntLit, (IntLit | BoolLit) -> () | _ -> ();;
let f (type a) (x : a t) = match x with IntLit -> 1;;
let g (type a) (x : a t) (y : a t) = match x, y with IntLit, IntLit -> 1 | BoolLit, BoolLit -> 2;;
