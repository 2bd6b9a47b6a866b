module M = struct let a = 1 exception E module type S = sig end end;;
include M;;
include struct let b = "x" and c = 2. end;;
module F(X:sig end) = struct let z = [1] type q = int end;;
include F(struct end);;
