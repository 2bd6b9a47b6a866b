(* Functors at run time: closures from a module block to a module block. *)
module type ORD = sig type t val compare : t -> t -> int end;;
module MaxOf (O : ORD) = struct
  let max a b = if O.compare a b >= 0 then a else b
  let max_list = function [] -> None | x :: l -> Some (List.fold_left max x l)
end;;
module IntMax = MaxOf (Int);;
IntMax.max_list [3; 9; 2];;
module StrMax = MaxOf (String);;
StrMax.max "pear" "apple";;
(* An anonymous structure as argument, coerced to the parameter: extra
   values are dropped, the order is the parameter's. *)
module RevMax = MaxOf (struct
  let unused = 42
  let compare a b = compare b a
  type t = int
end);;
RevMax.max_list [3; 9; 2];;
(* Curried functors, and a functor applied inside a structure. *)
module Pair (A : ORD) (B : ORD) = struct
  type t = A.t * B.t
  let compare (a1, b1) (a2, b2) =
    let c = A.compare a1 a2 in if c <> 0 then c else B.compare b1 b2
end;;
module IS = Pair (Int) (String);;
IS.compare (1, "b") (1, "a");;
module Outer = struct
  module P = Pair (String) (Int)
  let test = P.compare ("x", 1) ("x", 2)
end;;
Outer.test;;
(* Submodules and exceptions in arguments and results. *)
module type WITH_SUB = sig module Sub : sig val v : int end exception Oops of int end;;
module UseSub (X : WITH_SUB) = struct
  let get () = X.Sub.v
  let fail () = raise (X.Oops X.Sub.v)
  exception Inner of string
  module Nested = struct let twice = 2 * X.Sub.v end
end;;
module Arg = struct exception Oops of int module Sub = struct let w = 0 let v = 21 end end;;
module U = UseSub (Arg);;
U.get ();;
U.Nested.twice;;
U.fail ();;
try U.fail () with Arg.Oops n -> n;;
raise (U.Inner "x");;
(* Generative exceptions: each application makes a new one. *)
module MkExn (X : sig end) = struct exception E end;;
module E1 = MkExn (struct end);;
module E2 = MkExn (struct end);;
try raise E1.E with E2.E -> "same" | E1.E -> "distinct";;
(* A functor's value used from a later phrase, and include of an application. *)
module Counter (X : sig val start : int end) = struct
  let r = ref X.start
  let next () = incr r; !r
end;;
module C = struct include Counter (struct let start = 10 end) let extra = 1 end;;
C.next ();;
C.next () + C.extra;;
(* A functor as a functor's argument. *)
module Apply (F : functor (X : ORD) -> sig val max : X.t -> X.t -> X.t end) = struct
  module M = F (Int)
  let r = M.max 4 7
end;;
module AM = Apply (MaxOf);;
AM.r;;
(* Ascription of an application and of a functor parameter. *)
module type S = sig type t val x : t val show : t -> string end;;
module Id (X : S) : S = X;;
module P = Id (struct type t = int let x = 5 let show = string_of_int end);;
P.show P.x;;
module Q = Id (P);;
Q.show Q.x;;
