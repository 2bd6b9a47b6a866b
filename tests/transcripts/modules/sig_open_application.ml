module type S = sig
  open Set.Make(String)

  type nonrec t = t
end;;
module type T = sig open Set.Make(String) val x : elt end;;
