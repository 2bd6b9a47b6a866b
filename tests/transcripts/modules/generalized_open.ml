open struct let x = 1 type t = A end;;
x;;
A;;
module F (X : sig end) = struct let y = 2 end;;
open F(struct end);;
y;;
let z = let open struct let w = 5 end in w + 1;;
module M = struct open struct let hidden = 3 end let v = hidden end;;
