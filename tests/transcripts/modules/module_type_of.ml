module M = struct type t = int let x = 1 type u = A | B end;;
module type S = module type of M;;
module type L = module type of List;;
module type S2 = module type of struct let y = "a" type t let f (x : t) = x end;;
module K : S2 = struct let y = "b" type t = unit let f x = x end;;
K.f;;
