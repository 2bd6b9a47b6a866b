type 'a t = 'a list constraint 'a = int * 'b;;
type u = (int * bool) t;;
type v = bool t;;
type 'a w = 'a t;;
let f (x : 'a t) = x;;
type 'a t2 = T constraint 'a = int;;
let x = T;;
type ('a, 'b) t3 = 'a * 'b constraint 'a = 'b;;
type 'a t4 = 'b constraint 'a = 'b list;;
let g (x : int list t4) = x + 1;;
module type S = sig type 'a t constraint 'a = int * 'b end;;
module M : S = struct type 'a t = 'a list constraint 'a = int * 'b end;;
module N : S = struct type 'a t = 'a list end;;
type 'a t = T
  constraint 'a = int
  constraint 'a = float;;
type ('a,'b) t = T
  constraint 'a = int -> float
  constraint 'b = bool -> char
  constraint 'a = 'b;;
type ('a, 'b) p = 'a * 'b constraint 'a = 'b list;;
let x : (int list, int) p = ([1], 2);;
type 'a r = { f : 'a; g : 'b } constraint 'a = 'b option;;
let r = { f = Some 1; g = 2 };;
type 'a s = A of 'b constraint 'a = 'b * 'b;;
let a = A 3;;
