(* Sizes with no fixed cap: functors of 20 arguments in module
   expressions and module types, many float literals in one phrase, float
   literals of 150 and 200 digits, an exception ten modules deep. *)
module type S = sig val v : int end;;
module M1 = struct let v = 1 end;;
module M2 = struct let v = 2 end;;
module M3 = struct let v = 3 end;;
module M4 = struct let v = 4 end;;
module M5 = struct let v = 5 end;;
module M6 = struct let v = 6 end;;
module M7 = struct let v = 7 end;;
module M8 = struct let v = 8 end;;
module M9 = struct let v = 9 end;;
module M10 = struct let v = 10 end;;
module M11 = struct let v = 11 end;;
module M12 = struct let v = 12 end;;
module M13 = struct let v = 13 end;;
module M14 = struct let v = 14 end;;
module M15 = struct let v = 15 end;;
module M16 = struct let v = 16 end;;
module M17 = struct let v = 17 end;;
module M18 = struct let v = 18 end;;
module M19 = struct let v = 19 end;;
module M20 = struct let v = 20 end;;
let module F = functor (X1 : S)(X2 : S)(X3 : S)(X4 : S)(X5 : S)(X6 : S)(X7 : S)(X8 : S)(X9 : S)(X10 : S)(X11 : S)(X12 : S)(X13 : S)(X14 : S)(X15 : S)(X16 : S)(X17 : S)(X18 : S)(X19 : S)(X20 : S) -> struct let sum = X1.v + X2.v + X3.v + X4.v + X5.v + X6.v + X7.v + X8.v + X9.v + X10.v + X11.v + X12.v + X13.v + X14.v + X15.v + X16.v + X17.v + X18.v + X19.v + X20.v end in
let module R = F (M1)(M2)(M3)(M4)(M5)(M6)(M7)(M8)(M9)(M10)(M11)(M12)(M13)(M14)(M15)(M16)(M17)(M18)(M19)(M20) in
R.sum;;
let module G =
  (functor (X1 : S)(X2 : S)(X3 : S)(X4 : S)(X5 : S)(X6 : S)(X7 : S)(X8 : S)(X9 : S)(X10 : S)(X11 : S)(X12 : S)(X13 : S)(X14 : S)(X15 : S)(X16 : S)(X17 : S)(X18 : S)(X19 : S)(X20 : S) -> struct let sum = X1.v + X2.v + X3.v + X4.v + X5.v + X6.v + X7.v + X8.v + X9.v + X10.v + X11.v + X12.v + X13.v + X14.v + X15.v + X16.v + X17.v + X18.v + X19.v + X20.v end
   : functor (X1 : S)(X2 : S)(X3 : S)(X4 : S)(X5 : S)(X6 : S)(X7 : S)(X8 : S)(X9 : S)(X10 : S)(X11 : S)(X12 : S)(X13 : S)(X14 : S)(X15 : S)(X16 : S)(X17 : S)(X18 : S)(X19 : S)(X20 : S) -> sig val sum : int end) in
let module K = G (M1)(M2)(M3)(M4)(M5)(M6)(M7)(M8)(M9)(M10)(M11)(M12)(M13)(M14)(M15)(M16)(M17)(M18)(M19)(M20) in
K.sum;;
let fs = [| 1.5; 2.5; 3.5; 4.5; 5.5; 6.5; 7.5; 8.5; 9.5; 10.5; 11.5; 12.5; 13.5; 14.5; 15.5; 16.5; 17.5; 18.5; 19.5; 20.5; 21.5; 22.5; 23.5; 24.5; 25.5; 26.5; 27.5; 28.5; 29.5; 30.5; 31.5; 32.5; 33.5; 34.5; 35.5; 36.5; 37.5; 38.5; 39.5; 40.5; 41.5; 42.5; 43.5; 44.5; 45.5; 46.5; 47.5; 48.5; 49.5; 50.5; 51.5; 52.5; 53.5; 54.5; 55.5; 56.5; 57.5; 58.5; 59.5; 60.5; 61.5; 62.5; 63.5; 64.5; 65.5; 66.5; 67.5; 68.5; 69.5; 70.5; 71.5; 72.5; 73.5; 74.5; 75.5; 76.5; 77.5; 78.5; 79.5; 80.5 |];;
Array.fold_left (+.) 0. fs;;
let tiny = 0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001e200;;
let big = 1000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000.0;;
module N0 = struct module N1 = struct module N2 = struct module N3 = struct module N4 = struct module N5 = struct module N6 = struct module N7 = struct module N8 = struct module N9 = struct exception Deep of int end end end end end end end end end end;;
raise (N0.N1.N2.N3.N4.N5.N6.N7.N8.N9.Deep 42);;
