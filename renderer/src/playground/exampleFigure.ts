/** What the playground's editor holds at first: small, but with every kind of text the tracer reports. */
export const exampleFigure = `import numpy as np
import matplotlib.pyplot as plt

x = np.linspace(0, 2 * np.pi, 200)

fig, ax = plt.subplots()
ax.plot(x, np.sin(x), color="tab:blue", label="sin x")
ax.plot(x, np.cos(x), "--", color="tab:orange", label="cos x")
ax.axhline(0, color="gray", linewidth=0.8)
ax.set_title("Two periodic functions")
ax.set_xlabel("x (radians)")
ax.set_ylabel("y")
ax.legend(loc="upper right")
`;
