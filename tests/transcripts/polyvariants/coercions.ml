(* Coercions, with one type and with two. *)
let x = (`A : [`A] :> [`A | `B]);;
let x = (`A : [`A|`B] :> [`A]);;
let f (x : [`A|`B]) = (x :> [`A]);;
let f x = (x :> [`A|`B]);;
let g (x : [ `A ] * int) = (x :> [`A|`B] * int);;
let h (f : [`A|`B] -> int) = (f :> [`A] -> int);;
let k (x : int) = (x :> string);;
let l (x : [ `A ] list) = (x :> [`A|`C] list);;
let m (x : int) = (x :> int);;
type 'a box = Box of 'a;;
let n (b : [`A] box) = (b :> [`A | `B] box);;
type 'a rf = { mutable v : 'a };;
let o (b : [`A] rf) = (b :> [`A | `B] rf);;
