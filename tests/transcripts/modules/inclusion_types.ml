(* Signature matching of type declarations (Includecore): arity, kind,
   constructors and fields, manifests, privacy and variance, each
   reported with OCaml's "Signature mismatch" explanation. *)
module M : sig type ('a, 'b) t = 'a * 'b end = struct type ('a, 'b) t = 'a * 'a end;;
module M : sig type t = int * float end = struct type t = int * float * int end;;
module M : sig type t = int end = struct type t = bool end;;
module M : sig type t end = struct type 'a t = 'a end;;
module M : sig type t = A end = struct type t = { a : int } end;;
module M : sig type t = A end = struct type t end;;
module M : sig type t = A end = struct type t = int end;;
module M : sig type t = float end = struct type t = {x : float} end;;
(* Constructors: names, order, number, arguments. *)
module M : sig type t = Foo of int * float end = struct type t = Foo of (int*int)*float end;;
module M : sig type t = A | B end = struct type t = B | A end;;
module M : sig type t = A | B end = struct type t = A end;;
module M : sig type t = A end = struct type t = A | B end;;
module M : sig type t = A of int end = struct type t = A end;;
module M : sig type t = Foo of int * int end = struct type t = Foo of float end;;
module M : sig type ('a, 'b) t = A of 'a end = struct type ('a, 'b) t = A of 'b end;;
module M : sig type ('a, 'b) t = A of 'a end = struct type ('b, 'a) t = A of 'a end;;
(* Record fields: names, order, number, mutability, types. *)
module M : sig type t = {a : int; b : int} end = struct type t = {b : int; a : int} end;;
module M : sig type t = {f0 : unit} end = struct type t = {f1 : unit} end;;
module M : sig type t = {f0 : unit; f1 : unit} end = struct type t = {f0 : unit} end;;
module M : sig type t = {mutable a : int} end = struct type t = {a : int} end;;
module M : sig type t = {a : int} end = struct type t = {mutable a : int} end;;
module M1 : sig
  type t = {f0 : unit * unit * unit * int * unit * unit * unit;
            f1 : unit * unit * unit * int * unit * unit * unit}
end = struct
  type t = {f0 : unit * unit * unit * float* unit * unit * unit;
            f1 : unit * unit * unit * string * unit * unit * unit}
end;;
(* Privacy. *)
module M : sig type t = A end = struct type t = private A end;;
module M : sig type t = private A end = struct type t = A end;;
module M : sig type t = int end = struct type t = private int end;;
type s = private int;;
module M : sig type t = private float end = struct type t = private s end;;
type w = private float
type q = private (int * w)
type u = private (int * q)
module M : sig type t = private (int * (int * int)) end = struct type t = private u end;;
type w = float
type q = (int * w)
module M : sig type t = private (int * (int * float)) end = struct type t = private (int * q) end;;
(* Variance annotations. *)
module M : sig type +'a t end = struct type 'a t = 'a -> unit end;;
module M : sig type -'a t end = struct type 'a t = 'a -> unit end;;
module M : sig type +'a t end = struct type 'a t end;;
module M : sig type +'a t end = struct type 'a t = int end;;
module M : sig type -'a t = private int end = struct type +'a t = private int end;;
type 'a t = private 'a list;;
type +'a t = private 'a list;;
module type S = sig type -'a t type +'b u end;;
(* Types that match: the signature's own types stand for the
   implementation's. *)
module M : sig type t = A | B of t val x : t end = struct type t = A | B of t let x = B A end;;
M.x;;
module M : sig module N : sig type t end val x : N.t end = struct module N = struct type t = int end let x = 3 end;;
module A = struct type t = X end;;
module B : sig type t = X end = A;;
module B : sig type t = Y end = A;;
module M : sig type +!'a t end = struct type 'a t = 'a list end;;
module M : sig type +!'a t end = struct type 'a t = int end;;
module M : sig type !'a t end = struct type 'a t = A end;;
module M : sig type -!'a t end = struct type 'a t = 'a -> unit end;;
type !'a t;;
type !-'a u;;
module type S = sig type +!'a t end;;
