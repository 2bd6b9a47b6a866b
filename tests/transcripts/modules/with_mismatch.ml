(* A with constraint must be included in the declaration it constrains
   (and a variant kept by it must agree with its new manifest). *)
module type A = sig type t = X of int end;;
type u = X of bool;;
module type B = A with type t = u;;
module type S = sig type t = int end;;
module type S2 = S with type t = bool;;
module type S3 = sig type 'a t end with type t = int;;
module type S4 = sig type t val x : t end with type t = int;;
module type S5 = sig type t = private int end with type t = int;;
module type S6 = sig type t = A | B end with type t = int;;
module type S7 = sig type +'a t end with type 'a t = 'a -> int;;
module type S8 = sig type t = int end with type t := bool;;
module type S9 = sig type t = private A end with type t = u;;
module type S10 = sig type 'a t = A of 'a end with type 'a t = 'a option;;
module type S11 = sig type 'a t end with type 'a t = 'a list;;
