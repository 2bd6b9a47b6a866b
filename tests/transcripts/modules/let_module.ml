(* let module and let exception. *)
let module M = struct let x = 3 let y = x * 2 end in M.x + M.y;;
let sum l = let module S = Set.Make (Int) in S.cardinal (S.of_list l);;
sum [1; 2; 2; 3; 3; 3];;
let words l =
  let module M = Map.Make (String) in
  let m = List.fold_left (fun m w -> M.add w (1 + (try M.find w m with Not_found -> 0)) m) M.empty l in
  M.bindings m;;
words ["b"; "a"; "b"];;
let f x =
  let module L = List in
  let module N = struct let n = L.length x exception Short end in
  if N.n < 2 then raise N.Short else N.n;;
f [1; 2; 3];;
f [1];;
(* let exception: a new exception at each evaluation. *)
let attempt g =
  let exception Found of int in
  try List.iter (fun x -> if g x then raise (Found x)) [1; 2; 3; 4]; None
  with Found x -> Some x;;
attempt (fun x -> x > 2);;
attempt (fun x -> x > 9);;
let leak () = let exception Leak in raise Leak;;
leak ();;
let gen () = let exception E in (fun () -> raise E), (fun f -> try f () with E -> true | _ -> false);;
let (r1, c1) = gen () and (r2, c2) = gen ();;
c1 r1, c1 r2, c2 r2;;
(* A functor applied by let module inside a function, with a local argument. *)
let max_by cmp l =
  let module O = struct type t = int let compare = cmp end in
  let module S = Set.Make (O) in
  S.max_elt (S.of_list l);;
max_by compare [4; 8; 1];;
max_by (fun a b -> compare b a) [4; 8; 1];;
let module F (X : sig val v : int end) = struct let w = X.v + 1 end in
let module A = F (struct let v = 41 end) in A.w;;
