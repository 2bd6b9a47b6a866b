(* Uses unit Geom of another plugin (natmlc -shared geom.so shapes.ml). *)
let double p = Geom.add p p

let far = double { Geom.x = 5; y = 7 }

let total () = !Geom.counter + Geom.Sub.w
