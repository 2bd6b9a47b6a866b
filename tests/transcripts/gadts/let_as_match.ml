type zero = Zero
type _ succ = Succ
type _ fin = FZ : 'a succ fin | FS : 'a fin -> 'a succ fin
type _ is_succ = IS : 'a succ is_succ;;
let fin_succ : type n. n fin -> n is_succ = function
  | FZ -> IS
  | FS _ -> IS
;;
type ('a, 'b) eq = Refl : ('a, 'a) eq
type empty = (int, string) eq
let f1 x = match x with (None : empty option) -> ();;
let fin_succ : type n. n fin -> n is_succ = function
  | FZ -> IS
  | FS _ -> IS;;
let rec thick : type n. n succ fin -> n succ fin -> n fin option =
  fun x y -> match x, y with
  | FZ, FZ   -> None
  | FZ, FS y -> Some y
  | FS x, FZ -> let IS = fin_succ x in Some FZ
  | FS x, FS y -> None;;
