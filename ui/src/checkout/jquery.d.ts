// jQuery is only handed to bKash's script as a global; the page itself never calls it.
declare module "jquery" {
  const jQuery: unknown;
  export default jQuery;
}
