(* A variant or record of a signature is the implementation's: its
   constructors and fields, qualified by the module, build and match
   values of the type the signature gives. *)
module Q : sig type r = { x : int; y : float } type v = C | D of r val v : v end = struct type r = { x : int; y : float } type v = C | D of r let v = D { x = 1; y = 2. } end;;
match Q.v with Q.D { Q.x; y } -> (x, y) | Q.C -> (0, 0.);;
module Q : sig type r = { x : int; y : float } type v = C | D of r val v : v end = struct type r = { x : int; y : float } type v = C | D of r let v = D { x = 1; y = 2. } end;;
match Q.v with Q.D { Q.x; y } -> (x, y) | Q.C -> (0, 0.);;
match Q.v with Q.D r -> r.Q.x | Q.C -> 0;;
module Q2 : sig type v = C | D of int val v : v end = struct type v = C | D of int let v = D 1 end;;
match Q2.v with Q2.D r -> r | Q2.C -> 0;;
Q2.v;;
Q.v;;
Q2.C;;
let g (x : Q2.v) = match x with Q2.C -> 0 | Q2.D n -> n;;
g (Q2.D 5);;
