module type S = sig type t end;;
module F () = struct type t end;;
module G (X : sig end) : S = F ();;
module H () : S = F ();;
module type P = sig type t val x : t end;;
module K (X : sig end) = struct let v = (module struct type t = int let x = 1 end : P) module M = (val v) end;;
module L (X : sig end) = struct let f v = let module M = (val v : P) in () end;;
module E () = struct let x = 1 end;;
module J (X : sig end) = struct module N = E () end;;
