module M = struct
  type t
end;;
module type Accepted = sig
  type t := int

  type 'a u := 'a list

  type 'a v := (string * 'a) list

  module T := M

  type _ w := T.t

  val f : t u -> char w v
end;;
module F(X : sig type t end) = struct
  type t = X.t
end;;
module type Accepted2 = sig
  module N := F(M)

  val foo : N.t -> int
end;;
module type Reject1 = sig
  module M := Funct(M)
end;;
module type Reject2 = sig
  module M := F(N)
end;;
module type Reject3 = sig
  type t := u
end;;
module type AcceptAnd = sig
  type t := int
  and u := int * int
end;;
module type RejectAnd = sig
  type t := int
  and u := t * int
end;;
type ('a, 'b) foo = Foo

type 'a s = 'b list constraint 'a = (int, 'b) foo

module type S = sig
  type 'a t := 'a s * bool
  type 'a bar = (int, 'a) foo
  val x : string bar t
end;;

type 'a t constraint 'a = 'b list;;
module type S = sig
  type 'a t2 constraint 'a = 'b list
  type 'a mylist = 'a list
  val x : int mylist t2
end with type 'a t2 := 'a t;;
module type S = sig
  type 'a t2 constraint 'a = 'b list
  type 'a mylist = 'a list
  val x : int mylist t2
end with type 'a t2 := 'a t * bool;;
module type Sunderscore = sig
  type (_, _) t
end with type (_, 'a) t = int * 'a;;
