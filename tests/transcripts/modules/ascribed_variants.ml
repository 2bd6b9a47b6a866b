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
(* Their types are the signature's: an abstract type stays abstract. *)
module M : sig type u type t = A of u | B val mk : unit -> t end = struct type u = int type t = A of u | B let mk () = A 3 end;;
M.A 3;;
M.mk ();;
M.B;;
match M.mk () with M.A _ -> 1 | M.B -> 2;;
module R : sig type u type r = { x : u; y : int } val r : r end = struct type u = int type r = { x : u; y : int } let r = { x = 1; y = 2 } end;;
R.r.R.y;;
R.r;;
let f (v : R.r) = v.R.y;;
f R.r;;
module M : sig type 'a t = A of 'a * 'a end = struct type 'b t = A of 'b * 'b end;;
module M : sig type u type t = A of u end = struct type u = int type t = A of int end;;
