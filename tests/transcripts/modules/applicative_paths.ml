type t = Set.Make(String).t;;
module M = struct type t let equal = (=) end;;
module F(X : sig type t = M.t val equal : unit end) = struct type t end;;
type t = F(M).t;;
module Generative() = struct type t end;;
module S1 = Set.Make(String);;
module S2 = Set.Make(String);;
let f (x : S1.t) : S2.t = x;;
let g (x : Set.Make(String).t) : S1.t = x;;
module G (X : sig type t end) = struct type t = A of X.t type u end;;
module I = struct type t = int end;;
module G1 = G(I);;
let h (x : G(I).u) : G1.u = x;;
include G(I);;
module S3 = Set.Make(struct type t = int let compare = compare end);;
module Str = String;;
let k (x : Set.Make(Str).t) : S1.t = x;;
module F(X : sig end) = struct type t end;;
type t = F(Does_not_exist).t;;
module F() = struct type t end;;
type t = F(M).t;;
module F(X : sig end) = struct type t = private int end;;
module G(X : sig end) : sig
  type t = F(X).t
end = F(X);;
