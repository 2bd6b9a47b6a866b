(* #rectypes (OCaml's -rectypes): a type variable may stand for a type
   that contains it. The types of self-application, cyclic lists and
   values of such types print as OCaml's Printtyp prints them: each node
   met again below itself is named `as 'a` where it is first printed,
   its name chosen before the variables inside it. *)
#rectypes;;
let self x = x x;;
let rec f x = f;;
fun x -> x :: x;;
let rec h x = h (h x);;
fun x y -> x y x;;
fun f -> f f f;;
let k x = (x, x) = x;;
fun x -> x = Some x;;
fun x -> x = [x];;
fun x -> x = (fun y -> x);;
fun x y -> (x x, y y);;
fun x -> (x x, x);;
fun y x -> (y, x x);;
fun (y : 'a) x -> x x;;
fun (x : 'a) -> x x;;
fun (x : 'b) -> (x x : 'a);;
fun x -> x x x;;
fun x -> let y = x x in y y;;
fun x y -> x (y x) (y y);;
fun x -> x [x];;
fun x -> (x [x], x);;
let rec fix f x = f (fix f) x;;
let y f = (fun x -> f (fun v -> x x v)) (fun x -> f (fun v -> x x v));;
fun f -> let g x = f x x in g g;;
fun x -> x = [x; [[x]]];;
fun x y -> x = y :: y && y = [x];;
fun a b -> a = b a && b = a b;;
let rec l x = [l x];;
let rec m x = (m, x);;
let rec n x y = n y;;
fun s k -> s k (k s);;
fun x -> Some (Some x) = x;;
fun x -> (x : 'a option option as 'a) = x;;
let rec g = fun x -> g;;
g 1 2 3;;
fun x -> x.(0) <- x;;
let t () = self self;;
(* Errors that show cyclic types *)
(fun x -> x x) 1;;
fun x -> x (x :: x);;
let h x = (x, x) = x in h 1;;
fun x -> (Some x, [x]) = (x, x);;
(* Values of cyclic types *)
[[]; [[]]];;
let l = [[]; [[]]];;
let ll : ('a list as 'a) = [[[]]; []];;
List.length ll;;
let w = ref (fun x -> x);;
w := (fun x -> x x);;
w;;
let r = ref [];;
r := [!r]; 1 + true;;
r;;
(* The occurs check still fails through an abbreviation or an abstract
   type, which may stand for the variable itself. *)
type 'a id = 'a;;
module N : sig type 'a t end = struct type 'a t = 'a end;;
fun (x : 'b N.t) -> (x : 'b);;
fun (x : 'b) -> (x : 'b N.t);;
fun x -> (x : 'b N.t) = [x];;
(* Modules *)
module M = struct let f x = x x let g x = x :: x end;;
module type S = sig val f : ('a -> 'b as 'a) -> 'b end;;
module N2 : S = M;;
module N3 : sig val f : ('a -> 'a as 'a) -> 'a end = M;;
module N4 : sig val f : ('a -> 'b as 'a) -> 'b end = struct let f x = x end;;
module F (X : S) = struct let h = X.f end;;
module A = F (M);;
A.h;;
exception E of ('a list as 'a);;
raise (E []);;
fun (type a) (x : a) -> let f y = y y in f;;
(* Variables of instances are unnamed, so aliases are named in order. *)
fun a b -> a b = b a;;
(* An annotation is copied at each use of what it binds, as OCaml's
   constraints are, so cyclic types take OCaml's shape (PR#5907). *)
type 'a t = 'a;;
let f (g : 'a list -> 'a t -> 'a) s = g s s;;
let f (g : 'a * 'b -> 'a t -> 'a) s = g s s;;
fun (x : 'a id) -> x x;;
fun (x : 'a id) -> (x : 'a id list);;
fun x -> (x : 'a id) = x x;;
