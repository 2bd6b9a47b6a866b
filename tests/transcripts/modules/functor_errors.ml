(* Errors in the module language; the toplevel recovers after each. *)
module type S = sig type t val x : t val f : t -> int end;;
module F (X : S) = struct let y = X.f X.x end;;
module type T = sig val n : int end;;
module G (X : T) = struct let m = X.n * 2 end;;
module A = G (struct let k = 1 end);;
module A2 = F (struct type t = int let x = 1 end);;
module C = F (struct type t = string let x = "ok" let f = String.length end);;
C.y;;
module D = H (C);;
module E = F (Nowhere);;
let module M = F (struct type t = bool let x = true let f b = if b then 1 else 0 end) in M.y;;
let v = let module M = G (struct let n = 4 end) in M.m + M.zzz;;
let v = let module M = G (struct let n = 4 end) in M.m;;
