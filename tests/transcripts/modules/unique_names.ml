(* A structure or signature defines each type, module, module type and
   exception name once. *)
module type S = sig module type T = sig end module type T = sig end end;;
module type S = sig type t and u type v and t end;;
module M = struct type t and u type v and t end;;
module type S = sig module N : sig end module A : sig end module N : sig end end;;
module type S = sig exception Foo of int  exception Foo of bool end;;
module M = struct exception E exception E end;;
module M = struct type t = A type t = B end;;
module type S = sig type t type t end;;
module M = struct module N = struct end module N = struct end end;;
module type S = sig module N : sig end module N : sig end end;;
module M = struct module type T = sig end module type T = sig end end;;
module M = struct let x = 1 let x = true type t = A end;;
M.x;;
