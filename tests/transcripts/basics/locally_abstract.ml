(* Locally abstract types, (type a) and let f : type a. ..., and the
   generalization of let module, compared with ocaml 4.13.1. *)
let f (type a) (x : a) = x;;
let g = fun (type t) (l : t list) -> List.length l;;
let h : type a b. a -> b -> a * b = fun x y -> (x, y);;
let k x (type u) (y : u) = (x, y);;
let m (type s) = let module M = struct type t = s list end in fun (x : M.t) -> x;;
f 3, g [1;2], h 1 "a", k 1 2;;
let sort (type s) (cmp : s -> s -> int) (l : s list) = List.sort cmp l;;
sort compare [3;1;2];;
let n (type a) (x : a) : a list = [x; x];;
let bad (type a) (x : a) = x + 1;;
let r = let module M = struct let x = ref [] end in M.x;;
let r2 = let module M = struct type t = int let f x = x end in M.f;;
let r3 = let module M = struct exception E end in fun x -> x;;
let p (type a b) (x : a) (y : b) = [(x, y)];;
let q = fun (type t) -> fun (x : t) -> x;;
q 1, q "s";;
