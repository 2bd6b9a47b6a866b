type _ t = X;;
let g (x : ' t') = x;;
let h (x : ' a'bc) = x;;
type (' a', ' a'b, 'cd') t = ' a'b -> ' a' * 'cd';;
module type S = sig type 'a u = 'a list type +'a t = 'b constraint 'a = 'b u end;;
type 'a t = 'b constraint 'a = 'b list;;
module type A
module type B
module type C
module type D
module type E
module type F
module Test(X: ((A->(B->C)->D) -> (E -> F))) = struct end;;
module type LongFunctor1 = functor (X : A) () (_ : B) () -> C -> D -> sig end;;
module type LongFunctor2 = functor (_ : A) () (_ : B) () -> C -> D -> sig end;;
module G (X : sig end) (_ : sig end) (Y : sig end) = struct end;;
