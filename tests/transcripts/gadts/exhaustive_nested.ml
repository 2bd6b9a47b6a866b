type zero = Zero
type _ succ = Succ
type (_,_,_) balance =
  | Less : ('h, 'h succ, 'h succ) balance
  | Same : ('h, 'h, 'h) balance
  | More : ('h succ, 'h, 'h succ) balance
type _ avl =
  | Leaf : zero avl
  | Node : ('hL, 'hR, 'hMax) balance * 'hL avl * int * 'hR avl -> 'hMax succ avl;;
let f : type n. (n succ succ) avl -> int = fun tL ->
  match tL with
  | Node (Same, a, x, b) -> 1
  | Node (Less, a, x, Node (Less, b, z, c)) -> 2
  | _ -> 3;;
let g : type n. (n succ succ) avl -> int = fun tL ->
  match tL with
  | Node (Less, a, x, Node (Less, b, z, c)) -> 2
  | _ -> 3;;
