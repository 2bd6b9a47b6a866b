module rec A : sig type t = Leaf of int | Node of B.t val f : t -> int end = struct
  type t = Leaf of int | Node of B.t
  let f = function Leaf n -> n | Node b -> B.g b
end
and B : sig type t = A.t list val g : t -> int end = struct
  type t = A.t list
  let g l = List.fold_left (fun acc a -> acc + A.f a) 0 l
end;;
A.f (A.Node [A.Leaf 1; A.Leaf 2; A.Node [A.Leaf 3]]);;
module type S = sig module rec M : sig type t val x : N.t end and N : sig type t val y : M.t end end;;
module rec M : sig val f : unit -> int end = struct let f () = N.x end
and N:sig val x: int end = struct let x = M.f () end;;
module rec X : sig val x : int end = struct let x = 3 end;;
module rec Y : sig val f : int -> int end = struct let f x = if x = 0 then 0 else Y.f (x-1) + 1 end;;
Y.f 10;;
module rec Z : sig type t val x : t end = Z;;
module rec W : sig val f : int -> int end = struct let f x = x end and V : sig val g : int -> int end = struct let g = W.f end;;
V.g 3;;
module rec Even : sig val even : int -> bool end = struct let even n = n = 0 || Odd.odd (n - 1) end
and Odd : sig val odd : int -> bool end = struct let odd n = n <> 0 && Even.even (n - 1) end;;
Even.even 10, Odd.odd 7;;
module rec A1 : sig val x : int end = struct let x = B1.y end and B1 : sig val y : int end = struct let y = 5 end;;
A1.x;;
module rec A: sig val x: int end = struct let x = B.x end
and B:sig val x: int end = struct let x = E.y end
and C:sig val x: int end = struct let x = B.x end
and D:sig val x: int end = struct let x = C.x end
and E:sig val x: int val y:int end = struct let x = D.x let y = 0 end;;
module rec A: sig
  module F: functor(X:sig end) -> sig end
  val f: unit -> unit
end = struct
  module F(X:sig end) = struct end
  let f () = B.value
end
and B: sig val value: unit end = struct let value = A.f () end;;
module F(X: sig module type t module M: t end) = struct
  module rec A: sig
    module M: X.t
    val f: unit -> unit
  end = struct
    module M = X.M
    let f () = B.value
  end
  and B: sig val value: unit end = struct let value  = A.f () end
end;;
let check ~stub txt f =
  let run f = match f 0 with n -> string_of_int n | exception Undefined_recursive_module _ -> "__" in
  Printf.printf "%5s[%s]: %s\n%!" txt (if f == stub then "stub" else "real") (run f);;
module rec M : sig
  val f1 : int -> int
  val f2 : int -> int
  val f3 : int -> int
  val f4 : unit -> int -> int
  val f5 : unit -> int -> int
end = struct
  let rec f1 mode = if mode = 0 then M.f1 1 else 42
  let f2 = f1
  let f3 = M.f1
  let f4 () = f1
  let f5 () = M.f1
  let () =
    check ~stub:f3 "f1" f1;
    check ~stub:f3 "f2" f2;
    check ~stub:f3 "f3" f3;
    check ~stub:f3 "f4" (f4 ());
    check ~stub:f3 "f5" (f5 ())
end;;
let () =
  check ~stub:M.f3 "M.f1" M.f1;
  check ~stub:M.f3 "M.f2" M.f2;
  check ~stub:M.f3 "M.f3" M.f3;
  check ~stub:M.f3 "M.f4" (M.f4 ());
  check ~stub:M.f3 "M.f5" (M.f5 ());;
module rec Tree : sig
  type t = Leaf | Node of Forest.t
  val size : t -> int
end = struct
  type t = Leaf | Node of Forest.t
  let size = function Leaf -> 1 | Node f -> 1 + Forest.size f
end
and Forest : sig
  type t = Tree.t list
  val size : t -> int
end = struct
  type t = Tree.t list
  let size l = List.fold_left (fun a t -> a + Tree.size t) 0 l
end;;
Tree.size (Tree.Node [Tree.Leaf; Tree.Node [Tree.Leaf]]);;
module rec S : Set.S with type elt = E.t = Set.Make(E)
and E : sig type t = A | B of S.t val compare : t -> t -> int end = struct
  type t = A | B of S.t
  let compare x y = match x, y with
    | A, A -> 0 | A, B _ -> -1 | B _, A -> 1
    | B a, B b -> S.compare a b
end;;
S.cardinal (S.of_list [E.A; E.B (S.singleton E.A); E.A]);;
module rec Bad : sig val x : int end = struct let x = 1 end and Bad : sig end = struct end;;
module rec NoSig = struct end;;
module rec P : sig val f : int -> int end = struct let f x = x + Q.c end
and Q : sig val c : int end = struct let c = 10 end;;
P.f 1;;
module rec A : sig
  type t = B.t
end = A
and _ : sig type t = A.t end = struct type t = A.t end
and B : sig type t end = B
;;
module rec T : sig type t = T.t end = T;;
module rec Id : sig
  type t = {id : int}
  val compare : t -> t -> int
end = Id;;
module IdSet = Set.Make(Id);;
let _ = try IdSet.mem {Id.id = 1} (IdSet.singleton {Id.id = 0}) with Undefined_recursive_module _ -> false;;
Id.compare {Id.id = 1} {Id.id = 2};;
module rec M2 : sig
  val f : unit -> unit
  val g : unit -> unit
end = struct
  let f = M2.g
  let g = M2.f
end;;
