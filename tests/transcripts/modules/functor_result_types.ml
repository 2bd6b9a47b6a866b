(* A functor's own types print bare in its type (sig type t = A val v : t end),
   with or without a result signature. *)
module F2 (X : sig end) = struct type t = A let v = A end;;
module F3 (X : sig end) : sig type t val v : t end = struct type t = A let v = A end;;
module F4 (X : sig end) = (struct type t = A let v = A end : sig type t val v : t end);;
module N = F2(struct end);;
N.v;;
module M = struct module F (X : sig end) = struct type t = B let w = B end end;;
module O = M.F(struct end);; O.w;;
