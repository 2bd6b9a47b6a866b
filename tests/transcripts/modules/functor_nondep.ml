module F(X : sig type t end) = struct
  let f (_ : X.t) = ()
end;;
module M = F(struct type t = T end);;
module M2 = F(struct type t = int end);;
module G(X : sig type t end) = struct let g () = 1 end;;
module M3 = G(struct type t = A end);;
